export { MarathonPage } from './MarathonPage';
