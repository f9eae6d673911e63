import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { TextField } from '@material-ui/core';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { useEffect } from 'react';

export interface NameOption {
  name: string;
  /** Shown under the name: what the name stands for (brokers, endpoint). */
  detail?: string;
}

/**
 * A scaffolder field choosing one name from a list archon knows (clusters,
 * deploy targets); no free entry. With a single option and no value yet,
 * that option is chosen.
 */
export function NamePickerField(
  props: FieldExtensionComponentProps<string> & {
    options: NameOption[];
    loading: boolean;
    error?: Error;
    testId: string;
  },
) {
  const {
    formData,
    onChange,
    schema,
    required,
    rawErrors,
    disabled,
    options,
    loading,
    error,
    testId,
  } = props;
  const only = options.length === 1 ? options[0].name : undefined;
  useEffect(() => {
    if (!formData && only) onChange(only);
  }, [formData, only, onChange]);
  const selected = options.find(option => option.name === formData) ?? null;
  return (
    <Autocomplete
      data-testid={testId}
      id={props.idSchema?.$id}
      options={options}
      loading={loading}
      disabled={disabled}
      value={selected}
      getOptionLabel={option => option.name}
      getOptionSelected={(option, value) => option.name === value.name}
      renderOption={option => (
        <div>
          <div>{option.name}</div>
          {option.detail && <small>{option.detail}</small>}
        </div>
      )}
      onChange={(_event, option) => onChange(option?.name ?? '')}
      renderInput={params => (
        <TextField
          {...params}
          label={schema.title}
          required={required}
          margin="dense"
          variant="outlined"
          error={!!error || (rawErrors?.length ?? 0) > 0}
          helperText={
            error
              ? `Could not load the list: ${error.message}`
              : selected?.detail ?? schema.description
          }
        />
      )}
    />
  );
}
