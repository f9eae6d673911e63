import { useApi } from '@backstage/frontend-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  topicNameProblem,
  validateTopicName,
} from '@archon/plugin-archon-common';
import { TextField } from '@material-ui/core';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useDebounce from 'react-use/esm/useDebounce';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';

/** How many matching topics the list shows; typing narrows it on the server. */
const SHOWN = 20;

/** ui:options of the topic picker. */
export interface ArchonTopicPickerOptions {
  /** The form field holding the Kafka cluster (default `kafkaCluster`). */
  clusterField?: string;
}

/**
 * The picker's submit check: the same rule (and words) the API answers a bad
 * name with. Used in an array's items, the scaffolder validates the whole
 * array, so each name is checked.
 */
export function validateTopicPickerValue(
  value: string | string[] | undefined,
  validation: { addError(message: string): void },
) {
  for (const name of Array.isArray(value) ? value : [value]) {
    if (!name) continue;
    try {
      validateTopicName(name);
    } catch (error) {
      validation.addError((error as Error).message);
    }
  }
}

/**
 * `ui:field: ArchonTopicPicker`: an existing topic of the cluster chosen in
 * the form (the topic list API filtered by what is typed, so large clusters
 * are searched on the server), or a new name typed freely, checked against
 * Kafka's naming rule as it is typed.
 */
export const ArchonTopicPicker = (
  props: FieldExtensionComponentProps<string, ArchonTopicPickerOptions>,
) => {
  const {
    formData,
    onChange,
    schema,
    uiSchema,
    required,
    rawErrors,
    disabled,
    formContext,
  } = props;
  const api = useApi(archonApiRef);
  const clusterField = uiSchema['ui:options']?.clusterField ?? 'kafkaCluster';
  const cluster: string | undefined = formContext?.formData?.[clusterField];
  const [input, setInput] = useState(formData ?? '');
  const [filter, setFilter] = useState(formData ?? '');
  useDebounce(() => setFilter(input), 250, [input]);
  const topics = useAsync(async () => {
    if (!cluster) return undefined;
    const list = await unwrap(
      api.kafkaListTopics({
        path: { cluster },
        // Names only: no figure is read.
        query: {
          filter: filter || undefined,
          limit: SHOWN,
          sort: 'name',
          fields: 'name',
        },
      }),
    );
    return { names: list.items.map(topic => topic.name), total: list.total };
  }, [api, cluster, filter]);

  const names = topics.value?.names ?? [];
  const value = formData ?? '';
  const problem = value ? topicNameProblem(value) : undefined;
  const isNew = !!value && !problem && !!topics.value && !names.includes(value);
  let helperText: string | undefined = schema.description;
  if (problem) helperText = problem;
  else if (!cluster) helperText = 'Choose a Kafka cluster to list its topics';
  else if (topics.error)
    helperText = `Could not list topics of ${cluster}: ${topics.error.message}`;
  else if (isNew)
    helperText = `New topic: created on ${cluster} by the template`;
  else if (topics.value && topics.value.total > names.length)
    helperText = `${names.length} of ${topics.value.total} topics shown; type to search`;

  return (
    <Autocomplete
      data-testid="archon-topic-picker"
      id={props.idSchema?.$id}
      freeSolo
      options={names}
      loading={topics.loading}
      disabled={disabled}
      value={value}
      inputValue={input}
      // The server filters; the list is shown as it answers.
      filterOptions={options => options}
      // What is typed is the value (a new name needs no Enter); choosing an
      // option sets both. No autoSelect: leaving the field must not swap a
      // typed name for a stale option of the last search.
      onInputChange={(_event, text, reason) => {
        setInput(text);
        if (reason === 'input') onChange(text);
      }}
      onChange={(_event, chosen) => onChange((chosen as string | null) ?? '')}
      renderInput={params => (
        <TextField
          {...params}
          label={schema.title}
          required={required}
          margin="dense"
          variant="outlined"
          error={!!problem || !!topics.error || (rawErrors?.length ?? 0) > 0}
          helperText={helperText}
        />
      )}
    />
  );
};
