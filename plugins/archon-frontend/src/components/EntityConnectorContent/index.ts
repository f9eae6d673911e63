export { EntityConnectorContent } from './EntityConnectorContent';
export { ConnectorConfigEditor } from './ConnectorConfigEditor';
