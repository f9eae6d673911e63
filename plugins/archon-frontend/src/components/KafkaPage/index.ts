export { KafkaPage } from './KafkaPage';
