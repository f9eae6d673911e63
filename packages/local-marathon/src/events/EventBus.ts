import { isoNow } from '../util/time';

export interface MarathonEvent {
  eventType: string;
  timestamp: string;
  [field: string]: unknown;
}

export type EventListener = (event: MarathonEvent) => void;

/**
 * In-process publish/subscribe for Marathon events. The SSE endpoint subscribes each
 * connected client; payload fields come first, then `eventType` and `timestamp`, as in
 * the server's JSON writers.
 */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(eventType: string, payload: Record<string, unknown>): MarathonEvent {
    const event: MarathonEvent = { ...payload, eventType, timestamp: isoNow() };
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A failing subscriber must not break the publisher.
      }
    }
    return event;
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }
}
