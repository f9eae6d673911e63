export { ConnectPage, ConnectState } from './ConnectPage';
