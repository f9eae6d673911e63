export { KafkaTopicPage } from './KafkaTopicPage';
