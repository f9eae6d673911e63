export { ConnectPage } from './ConnectPage';
export { ConnectState } from './ConnectState';
