import {
  Box,
  Drawer,
  IconButton,
  Table,
  TableBody,
  TableCell,
  TableRow,
  Typography,
  makeStyles,
} from '@material-ui/core';
import CloseIcon from '@material-ui/icons/Close';
import { CopyTextButton } from '@backstage/core-components';
import type {
  KafkaMessage,
  KafkaMessagePayload,
} from '@archon/plugin-archon-common';
import { payloadText } from './payloadText';

const useStyles = makeStyles(theme => ({
  paper: { width: 'min(720px, 90vw)', padding: theme.spacing(2) },
  pre: {
    margin: theme.spacing(0.5, 0),
    padding: theme.spacing(1),
    background: theme.palette.background.default,
    fontFamily: 'monospace',
    fontSize: '0.85em',
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    maxHeight: '50vh',
    overflow: 'auto',
  },
}));

const Payload = (props: {
  label: string;
  payload?: KafkaMessagePayload | null;
}) => {
  const classes = useStyles();
  const text = payloadText(props.payload);
  return (
    <Box mt={2}>
      <Box display="flex" alignItems="center">
        <Typography variant="subtitle2">
          {props.label}
          {props.payload
            ? ` (${props.payload.format}, ${props.payload.size} bytes)`
            : ''}
          {props.payload?.error ? ` — ${props.payload.error}` : ''}
        </Typography>
        {props.payload && (
          <CopyTextButton
            text={text}
            tooltipText="Copied"
            aria-label={`Copy the ${props.label.toLowerCase()}`}
          />
        )}
      </Box>
      <pre className={classes.pre} aria-label={props.label}>
        {text}
      </pre>
    </Box>
  );
};

/** One message in full: the key and the value (pretty JSON), its headers, each with a copy button. */
export const MessageDrawer = (props: {
  message?: KafkaMessage;
  onClose: () => void;
}) => {
  const classes = useStyles();
  const m = props.message;
  return (
    <Drawer
      anchor="right"
      open={!!m}
      onClose={props.onClose}
      classes={{ paper: classes.paper }}
    >
      {m && (
        <Box role="dialog" aria-label={`Message ${m.partition}:${m.offset}`}>
          <Box display="flex" alignItems="center">
            <Typography variant="h6" style={{ flex: 1 }}>
              Partition {m.partition}, offset {m.offset}
            </Typography>
            <IconButton aria-label="Close" onClick={props.onClose}>
              <CloseIcon />
            </IconButton>
          </Box>
          <Typography variant="body2" color="textSecondary">
            {m.time ?? new Date(m.timestamp).toISOString()} ({m.timestamp})
          </Typography>
          <Payload label="Key" payload={m.key} />
          <Payload label="Value" payload={m.value} />
          <Box mt={2}>
            <Typography variant="subtitle2">
              Headers ({m.headers.length})
            </Typography>
            {m.headers.length > 0 && (
              <Table size="small" aria-label="Headers">
                <TableBody>
                  {m.headers.map((h, i) => (
                    <TableRow key={`${h.key}-${i}`}>
                      <TableCell>{h.key}</TableCell>
                      <TableCell style={{ wordBreak: 'break-all' }}>
                        {h.value?.text ?? <em>null</em>}
                      </TableCell>
                      <TableCell padding="checkbox">
                        <CopyTextButton
                          text={h.value?.text ?? ''}
                          tooltipText="Copied"
                          aria-label={`Copy header ${h.key}`}
                        />
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </Box>
        </Box>
      )}
    </Drawer>
  );
};
