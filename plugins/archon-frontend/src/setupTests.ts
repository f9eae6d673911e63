import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// MUI, material-table and user-event typing in jsdom are slow on CI
// machines, the first render of a suite most of all.
jest.setTimeout(30_000);
configure({ asyncUtilTimeout: 5_000 });
