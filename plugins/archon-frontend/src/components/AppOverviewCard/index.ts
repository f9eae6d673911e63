export { AppOverviewCard } from './AppOverviewCard';
