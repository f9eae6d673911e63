import type { Command } from 'commander';

/**
 * Examples for the `--help` of commands that do not add their own (by
 * command path). Kept in one place so each command file stays about what the
 * command does; `addExamples` puts them under each command's help.
 */
const EXAMPLES: Record<string, string[]> = {
  login: [
    'archon login',
    'archon login https://archon.example.com --no-browser',
    'echo "$TOKEN" | archon login https://archon.example.com --name ci --token-stdin',
  ],
  logout: ['archon logout', 'archon --context prod logout'],
  whoami: ['archon whoami', 'archon whoami -o json'],
  'context add': [
    'archon context add staging https://archon-staging.example.com --token-stdin --use < token.txt',
    'archon context add prod https://archon.example.com --token-stdin --kafka-cluster main < token.txt',
  ],
  'context use': ['archon context use staging'],
  'context ls': ['archon context ls', 'archon context ls -o json'],
  'context current': [
    'archon context current',
    'archon --context prod context current',
  ],
  'context rm': ['archon context rm staging'],
  'config get': ['archon config get /foo/bar', 'archon config get /foo/bar x'],
  'config set': [
    "archon config set /foo/bar x=1 'url=http://${host}:80'",
    'archon config set /foo/bar -f bar.yaml',
    'archon config set /foo x=2 --dry-run',
  ],
  'config unset': [
    'archon config unset /foo/bar x y',
    'archon config unset /foo/bar --all --yes',
  ],
  'config edit': [
    'archon config edit /foo/bar',
    'EDITOR=vim archon config edit /foo',
  ],
  'config effective': [
    'archon config effective /foo/bar/service-1',
    'archon config effective /foo/bar/service-1 --explain',
    'archon config effective /foo/bar/service-1 url',
  ],
  'config pending': [
    'archon config pending /foo/bar/service-1',
    'archon config pending /foo/bar/service-1 --release rel-a --against rel-b',
  ],
  'config history': [
    'archon config history /foo/bar -p',
    'archon config history /foo -n 5 -o json',
  ],
  'config tree': ['archon config tree', 'archon config tree /foo -d 1'],
  'config rm': [
    'archon config rm /foo/old',
    'archon config rm /foo/old -r --yes',
  ],
  'config restore': [
    'archon config history /foo/bar',
    'archon config restore /foo/bar 3',
  ],
  'releases show': ['archon releases show rel-0mh2k3x4c-1a2b3c4d'],
  'releases diff': [
    'archon releases diff rel-a rel-b',
    "archon releases diff rel-a          # against today's configuration",
  ],
  'deployments ls': [
    'archon deployments',
    'archon deployments ls --path /foo/bar/service-1 --status failed',
  ],
  'deployments watch': ['archon deployments watch rel-0mh2k3x4c-1a2b3c4d'],
  'apps ls': [
    'archon apps',
    'archon apps ls --target local --path /foo/bar',
    'archon apps ls --label HAPROXY_GROUP==external -o json',
  ],
  'apps status': [
    'archon apps status /foo/bar/service-1',
    'archon apps status foo/bar/service-1 -o json',
  ],
  'apps events': [
    'archon apps events /foo/bar/service-1',
    'archon apps events /foo/bar/service-1 -o json',
  ],
  'apps scale': [
    'archon apps scale /foo/bar/service-1 3',
    'archon apps scale /foo/bar/service-1 0 --no-wait',
  ],
  'apps restart': [
    'archon apps restart /foo/bar/service-1',
    'archon apps restart /foo/bar/service-1 --timeout 300',
  ],
  'apps suspend': ['archon apps suspend /foo/bar/service-1'],
  'apps destroy': [
    'archon apps destroy /foo/bar/service-1',
    'archon apps destroy /foo/bar/service-1 --yes',
  ],
  'zookeeper ls': [
    'archon zookeeper ls /',
    'archon zookeeper ls /pheidippides -o json',
  ],
  'zookeeper get': ['archon zookeeper get /pheidippides/foo --stat'],
  'zookeeper set': [
    'archon zookeeper set /app/flag \'{"on":true}\' --json',
    'archon zookeeper set /app/data -f data.bin --expected-version 3',
  ],
  'zookeeper create': [
    'archon zookeeper create /app/locks -p',
    "archon zookeeper create /app/config '{}' --json",
  ],
  'zookeeper rm': [
    'archon zookeeper rm /app/old',
    'archon zookeeper rm /app -r --yes',
  ],
  'zookeeper export': ['archon zookeeper export /services -f services.json'],
  'zookeeper import': [
    'archon zookeeper import /services-copy -f services.json --dry-run',
    'archon zookeeper import /services-copy -f services.json --yes',
  ],
  'zookeeper find': ['archon zookeeper find service-1 --prefix /pheidippides'],
  'topics ls': ['archon topics', 'archon topics ls --filter orders -o json'],
  'topics describe': [
    'archon topics describe orders',
    'archon topics describe orders --all-configs',
  ],
  'topics create': [
    'archon topics create orders -p 6 --config retention.ms=86400000',
    'archon topics create orders -p 6 -r 3 --validate-only',
  ],
  'topics alter': [
    'archon topics alter orders --config retention.ms=3600000',
    'archon topics alter orders --partitions 12',
  ],
  'topics delete': [
    'archon topics delete orders',
    'archon topics delete orders --yes',
  ],
  'consumer-groups ls': [
    'archon consumer-groups',
    'archon consumer-groups ls --state Empty -o json',
  ],
  'consumer-groups describe': ['archon consumer-groups describe billing'],
  'consumer-groups lag': [
    'archon consumer-groups lag billing',
    'archon consumer-groups lag billing --topic orders --history 60',
  ],
  'consumer-groups reset': [
    'archon consumer-groups reset billing --to timestamp --ago 2h',
    'archon consumer-groups reset billing --to earliest --topic orders --dry-run',
    'archon consumer-groups reset billing --to latest --yes',
  ],
  'consumer-groups delete': ['archon consumer-groups delete billing --yes'],
  'messages read': [
    'archon messages read orders -n 20',
    'archon messages read orders --from oldest --headers',
    'archon messages read orders --since 2026-01-01T00:00:00Z -p 0',
  ],
  'messages tail': [
    'archon messages tail orders -n 5',
    'archon messages tail orders -o json --max 100',
  ],
  'messages produce': [
    'archon messages produce orders \'{"id":1}\' -k 1',
    'echo \'{"id":1}\' | archon messages produce orders -k 1 -H source=cli',
    'archon messages produce orders --lines --key-separator : < lines.txt',
  ],
  'connectors ls': ['archon connectors', 'archon connectors ls --state FAILED'],
  'connectors status': [
    'archon connectors status sink',
    'archon connectors status sink --trace',
  ],
  'connectors create': ['archon connectors create -f sink.yaml'],
  'connectors update': ['archon connectors update sink -f sink.yaml'],
  'connectors validate': ['archon connectors validate -f sink.yaml'],
  'connectors delete': [
    'archon connectors delete sink',
    'archon connectors delete sink --yes',
  ],
  'connectors pause': ['archon connectors pause sink'],
  'connectors resume': ['archon connectors resume sink'],
  'connectors stop': ['archon connectors stop sink'],
  'connectors restart': [
    'archon connectors restart sink',
    'archon connectors restart sink --failed-only',
  ],
  'connectors plugins': [
    'archon connectors plugins',
    'archon connectors plugins -o json',
  ],
  impact: [
    'archon impact topic:local/orders',
    'archon impact config:/shop --depth 3 -o mermaid',
  ],
  lineage: [
    'archon lineage app:local/shop/cart --direction up',
    'archon lineage topic:local/orders --format dot | dot -Tsvg > lineage.svg',
  ],
  path: [
    'archon path app:local/shop/cart topic:local/orders',
    'archon path app:local/shop/cart topic:local/orders -o json',
  ],
  health: ['archon health', 'archon health --kind kafka -o json'],
  completion: [
    'source <(archon completion bash)',
    'source <(archon completion zsh)',
  ],
  __complete: [
    'archon __complete topic ord',
    'archon __complete config-path /foo/',
  ],
};

/** The command's path below the root: `apps tasks kill`. */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent)
    names.unshift(c.name());
  return names.join(' ');
}

/**
 * Whether a command already shows text after its help (its own examples):
 * `addHelpText('after')` listens for `afterHelp` (a Command is an
 * EventEmitter, which commander's types do not declare).
 */
const hasHelpAfter = (cmd: Command) =>
  (cmd as unknown as NodeJS.EventEmitter).listeners('afterHelp').length > 0;

/** Adds the examples above to every command that has none of its own. */
export function addExamples(cmd: Command): void {
  const examples = EXAMPLES[commandPath(cmd)];
  if (!examples || hasHelpAfter(cmd)) return;
  cmd.addHelpText(
    'after',
    `\nExamples:\n${examples.map(e => `  ${e}`).join('\n')}`,
  );
}
