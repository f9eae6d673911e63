import type { Command, Option } from 'commander';
import { UsageError } from '../lib/errors';
import { action, type CliIo } from '../lib/runtime';
import type { CompletionKind } from './complete';

interface Node {
  /** Every spelling of the path from the root (aliases included); the first is the command's own names. */
  paths: string[];
  subcommands: Array<{ names: string[]; description: string }>;
  options: Option[];
  /** The names of its positional arguments, in order. */
  args: string[];
}

/**
 * The names a positional argument holds, which `archon __complete` can list
 * from the API: configuration paths, topics, consumer groups, connectors,
 * apps. By the argument's name (and the group it is in).
 */
function argumentKind(path: string, arg: string): CompletionKind | undefined {
  const group = path.split(' ')[0];
  if (arg === 'configPath') return 'config-path';
  if (group === 'config' && (arg === 'path' || arg === 'prefix'))
    return 'config-path';
  // `topics create` names a topic that does not exist yet.
  if (arg === 'topic' && path !== 'topics create') return 'topic';
  if (arg === 'group') return 'consumer-group';
  if (arg === 'name' && group === 'connectors') return 'connector';
  if (arg === 'app') return 'app';
  return undefined;
}

/** The same for an option's value. */
function optionKind(option: Option): CompletionKind | undefined {
  switch (option.long) {
    case '--target':
    case '--instance':
      return 'target';
    case '--path':
      return 'config-path';
    case '--topic':
      return 'topic';
    case '--app':
      return 'app';
    default:
      return undefined;
  }
}

function visible(cmd: Command): Command[] {
  return cmd.commands.filter(
    c => !(c as unknown as { _hidden?: boolean })._hidden,
  );
}

/** The command tree as flat nodes keyed by every spelling of their path. */
function collect(program: Command): Node[] {
  const nodes: Node[] = [];
  // Options of a group (topics --cluster) also apply to its subcommands; the
  // root's are offered everywhere by the scripts themselves.
  const walk = (cmd: Command, paths: string[], inherited: Option[]) => {
    const subs = visible(cmd);
    const options = [...inherited, ...cmd.options];
    nodes.push({
      paths,
      subcommands: subs.map(s => ({
        names: [s.name(), ...s.aliases()],
        description: s.description(),
      })),
      options,
      args: cmd.registeredArguments.map(a => a.name()),
    });
    for (const s of subs) {
      const names = [s.name(), ...s.aliases()];
      walk(
        s,
        paths.flatMap(p => names.map(n => (p ? `${p} ${n}` : n))),
        cmd === program ? [] : options,
      );
    }
  };
  walk(program, [''], []);
  return nodes;
}

function flags(option: Option): string[] {
  return [option.short, option.long].filter((f): f is string => !!f);
}

function shellWords(words: string[]): string {
  return words.map(w => w.replace(/[^A-Za-z0-9_.:/=-]/g, '')).join(' ');
}

function casePattern(paths: string[]): string {
  return paths.map(p => `"${p}"`).join('|');
}

/** Shared shell functions: subcommands, options and option values per command path. */
function functions(program: Command, zsh: boolean): string {
  const nodes = collect(program);
  const subs = nodes
    .filter(n => n.subcommands.length)
    .map(
      n =>
        `    ${casePattern(n.paths)}) echo "${shellWords(
          n.subcommands.flatMap(s => s.names),
        )}" ;;`,
    )
    .join('\n');
  const opts = nodes
    .map(
      n =>
        `    ${casePattern(n.paths)}) echo "${shellWords([
          ...n.options.flatMap(flags),
          '--help',
        ])}" ;;`,
    )
    .join('\n');
  const values = new Map<string, string>();
  for (const n of nodes) {
    for (const o of n.options) {
      const choices = (o as unknown as { argChoices?: string[] }).argChoices;
      const kind = optionKind(o);
      if (kind) for (const f of flags(o)) values.set(f, `echo __names:${kind}`);
      else if (choices?.length)
        for (const f of flags(o))
          values.set(f, `echo "${shellWords(choices)}"`);
      else if (/file/.test(o.long ?? ''))
        for (const f of flags(o)) values.set(f, 'echo __files__');
    }
  }
  const valueCases = [...values.entries()]
    .map(([f, body]) => `    ${f}) ${body} ;;`)
    .join('\n');
  const takesValue = [
    ...new Set(
      nodes.flatMap(n =>
        n.options.filter(o => o.required || o.optional).flatMap(flags),
      ),
    ),
  ];
  const argKinds = nodes
    .flatMap(n =>
      n.args.map((arg, i) => ({ i, kind: argumentKind(n.paths[0], arg), n })),
    )
    .filter(a => a.kind)
    .map(
      ({ i, kind, n }) =>
        `    ${casePattern(n.paths.map(p => `${p} ${i}`))}) echo ${kind} ;;`,
    )
    .join('\n');
  let out = `_archon_subcommands() {
  case "$1" in
${subs}
  esac
}
_archon_options() {
  case "$1" in
${opts}
  esac
}
_archon_option_values() {
  case "$1" in
${valueCases}
    ${takesValue.join('|')}) echo __any__ ;;
  esac
}
# What the n-th (from 0) argument of a command holds, if the API can list it.
_archon_arg_kind() {
  case "$1 $2" in
${argKinds}
  esac
}
`;
  if (zsh) {
    const descs = nodes
      .filter(n => n.subcommands.length)
      .map(
        n =>
          `    ${casePattern(n.paths)}) print -rl -- ${n.subcommands
            .flatMap(s =>
              s.names.map(
                name =>
                  `'${name}:${s.description
                    .replace(/'/g, '')
                    .replace(/:/g, '\\:')
                    .slice(0, 80)}'`,
              ),
            )
            .join(' ')} ;;`,
      )
      .join('\n');
    out += `_archon_subcommand_descs() {
  case "$1" in
${descs}
  esac
}
`;
  }
  return out;
}

/**
 * The command path typed so far (words that are subcommands of the path
 * before them), how many arguments follow it (npos), and the options that
 * choose where names come from (fwd: backend, context, cluster, ensemble,
 * target), for `archon __complete`.
 */
const PATH_LOOP = (
  first: string,
  last: string,
  word: string,
  prevWord: string,
) => `  local path="" w i skip="" npos=0
  fwd=()
  for ((i=${first}; i<${last}; i++)); do
    w="${word}"
    if [[ -n "$skip" ]]; then
      skip=""
      case "${prevWord}" in
        --url|--context) fwd+=("${prevWord}" "$w") ;;
        -c|--cluster) fwd+=(--cluster "$w") ;;
        -e|--ensemble) fwd+=(--ensemble "$w") ;;
        -t|--target|--instance) fwd+=(--target "$w") ;;
      esac
      continue
    fi
    if [[ "$w" == -* ]]; then
      [[ "$w" != *=* && -n "$(_archon_option_values "$w")" ]] && skip=1
      continue
    fi
    if [[ " $(_archon_subcommands "$path") " == *" $w "* ]]; then path="\${path:+$path }$w"; else npos=$((npos+1)); fi
  done`;

/**
 * Names from the API through the archon being completed (the first word,
 * so a checkout's bin/archon completes itself): within archon's own deadline,
 * silent on failure.
 */
const NAMES = (self: string) => `_archon_names() {
  "${self}" __complete "\${fwd[@]}" -- "$1" "$2" 2>/dev/null
}`;

export function bashCompletion(program: Command): string {
  return `# archon bash completion. Load it with:
#   source <(archon completion bash)
# or save it: archon completion bash > ~/.local/share/bash-completion/completions/archon
${functions(program, false)}
${NAMES('${COMP_WORDS[0]}')}
_archon() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" fwd
${PATH_LOOP('1', 'COMP_CWORD', '${COMP_WORDS[i]}', '${COMP_WORDS[i-1]}')}
  local values kind
  values="$(_archon_option_values "$prev")"
  if [[ -n "$values" ]]; then
    case "$values" in
      __files__) COMPREPLY=($(compgen -f -- "$cur")) ;;
      __names:*) COMPREPLY=($(compgen -W "$(_archon_names "\${values#__names:}" "$cur")" -- "$cur")) ;;
      __any__) COMPREPLY=() ;;
      *) COMPREPLY=($(compgen -W "$values" -- "$cur")) ;;
    esac
    return
  fi
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$(_archon_options "$path") $(_archon_options "")" -- "$cur"))
    return
  fi
  kind="$(_archon_arg_kind "$path" "$npos")"
  if [[ -n "$kind" ]]; then
    COMPREPLY=($(compgen -W "$(_archon_names "$kind" "$cur")" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$(_archon_subcommands "$path")" -- "$cur"))
  fi
}
complete -o default -F _archon archon
`;
}

export function zshCompletion(program: Command): string {
  return `#compdef archon
# archon zsh completion. Load it with:
#   source <(archon completion zsh)
# or save it as _archon in a directory on $fpath (before compinit).
${functions(program, true)}
${NAMES('${words[1]}')}
_archon() {
  local cur="\${words[CURRENT]}" prev="\${words[CURRENT-1]}" fwd
${PATH_LOOP('2', 'CURRENT', '${words[i]}', '${words[i-1]}')}
  local values kind
  values="$(_archon_option_values "$prev")"
  if [[ -n "$values" ]]; then
    case "$values" in
      __files__) _files ;;
      __names:*) compadd -- \${(f)"$(_archon_names "\${values#__names:}" "$cur")"} ;;
      __any__) _message 'value' ;;
      *) compadd -- \${=values} ;;
    esac
    return
  fi
  kind="$(_archon_arg_kind "$path" "$npos")"
  if [[ "$cur" == -* ]]; then
    compadd -- \${=$(_archon_options "$path")} \${=$(_archon_options "")}
  elif [[ -n "$kind" ]]; then
    compadd -- \${(f)"$(_archon_names "$kind" "$cur")"}
  else
    local -a cmds
    cmds=("\${(@f)$(_archon_subcommand_descs "$path")}")
    if (( \${#cmds} )) && [[ -n "\${cmds[1]}" ]]; then
      _describe 'command' cmds
    else
      _files
    fi
  fi
}
if (( $+functions[compdef] )); then
  compdef _archon archon
fi
`;
}

export function registerCompletionCommand(program: Command, io: CliIo) {
  program
    .command('completion')
    .description(
      'print the shell completion script: source <(archon completion bash)',
    )
    .argument('<shell>', 'bash or zsh')
    .action(
      action(io, async (rt, shell: string) => {
        if (shell === 'bash') rt.io.stdout.write(bashCompletion(program));
        else if (shell === 'zsh') rt.io.stdout.write(zshCompletion(program));
        else
          throw new UsageError(
            `no completion for "${shell}" (use bash or zsh)`,
          );
      }),
    );
}
