import { openEventStream, wantsEventStream } from '@archon/plugin-archon-node';
import type { Request, Response } from 'express';
import type { DeployFlow } from './DeployFlow';
import { recordedOrUnreachable, relayProgress } from './progressStream';

type AnyRequest = Request<any, any, any, any>;

/** 202 with the flow; 200 once finished with `wait`; or its progress as Server-Sent Events. */
export async function respond(
  req: AnyRequest,
  res: Response,
  flow: DeployFlow,
  wait?: boolean,
) {
  if (wantsEventStream(req)) {
    const stream = openEventStream(req, res);
    stream.send('accepted', flow.view(false));
    const relay = relayProgress(stream, flow);
    const unsubscribe = flow.subscribe(0, relay.onProgress, () =>
      relay.onEnd(flow.view(false)),
    );
    stream.onClose(unsubscribe);
    return;
  }
  if (wait) {
    await recordedOrUnreachable(flow);
    res.status(200).json(flow.view(true));
    return;
  }
  res
    .status(202)
    .location(`/api/archon/deployments/${flow.id}`)
    .json(flow.view(false));
}
