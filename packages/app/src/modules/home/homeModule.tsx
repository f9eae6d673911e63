import { createFrontendModule } from '@backstage/frontend-plugin-api';
import {
  HomePageLayoutBlueprint,
  HomePageWidgetBlueprint,
  type HomePageLayoutProps,
} from '@backstage/plugin-home-react/alpha';
import { Content, Header, Page, Progress } from '@backstage/core-components';
import { Grid } from '@material-ui/core';
import { Suspense } from 'react';

/**
 * archon's cockpit: what an operator looks at first. The widgets are the
 * archon plugin's; each is one card of the fixed layout below, in the order
 * and widths of {@link COCKPIT}.
 */
const widget = (
  name: string,
  title: string,
  description: string,
  load: () => Promise<() => JSX.Element>,
) =>
  HomePageWidgetBlueprint.make({
    name,
    params: {
      name,
      title,
      description,
      components: async () => ({ Content: await load() }),
    },
  });

const health = widget(
  'ArchonSystemHealth',
  'System health',
  'Each ZooKeeper ensemble, Kafka and Connect cluster and Marathon instance, with the age of its last probe',
  () => import('@archon/plugin-archon').then(m => m.SystemHealthWidget),
);
const attention = widget(
  'ArchonAttention',
  'Needs attention',
  'Counts of what needs attention, each linking to its rows',
  () => import('@archon/plugin-archon').then(m => m.AttentionWidget),
);
const deploys = widget(
  'ArchonRecentDeploys',
  'Recent deploys',
  'The latest deployments with their outcome',
  () => import('@archon/plugin-archon').then(m => m.RecentDeploysWidget),
);
const search = widget(
  'ArchonGraphSearch',
  'Search the graph',
  'Apps, topics, connectors, consumer groups and configuration paths',
  () => import('@archon/plugin-archon').then(m => m.GraphSearchWidget),
);

/** The cockpit's cards by widget name, with their grid width (of 12) at md and up. */
const COCKPIT: { name: string; md: 4 | 6 | 8 | 12 }[] = [
  { name: 'ArchonGraphSearch', md: 12 },
  { name: 'ArchonSystemHealth', md: 4 },
  { name: 'ArchonAttention', md: 4 },
  { name: 'ArchonRecentDeploys', md: 4 },
];

/**
 * A fixed layout instead of the customizable grid: only archon's cards, so
 * no stock template card (jokes, clocks, toolkits) is ever shown.
 */
const CockpitLayout = ({ widgets }: HomePageLayoutProps) => (
  <Page themeId="home">
    <Header
      title="archon"
      subtitle="What needs attention across your clusters"
    />
    <Content>
      <Grid container spacing={3}>
        {COCKPIT.map(({ name, md }) => {
          const found = widgets.find(w => w.name === name);
          return found ? (
            <Grid item xs={12} md={md} key={name}>
              {/* The cards load lazily (each its own chunk). */}
              <Suspense fallback={<Progress />}>{found.component}</Suspense>
            </Grid>
          ) : null;
        })}
      </Grid>
    </Content>
  </Page>
);

const cockpitLayout = HomePageLayoutBlueprint.make({
  params: { loader: async () => CockpitLayout },
});

export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [cockpitLayout, health, attention, deploys, search],
});
