export { KafkaTopicContent } from './KafkaTopicContent';
