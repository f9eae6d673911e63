import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// MUI, material-table and user-event typing in jsdom are slow on CI
// machines, the first render of a suite most of all, and slower still on a
// loaded 2-core machine (a find* that gave up after 5 s failed there): the
// deadlines are generous; a passing wait returns as soon as it holds.
jest.setTimeout(60_000);
configure({ asyncUtilTimeout: 15_000 });
