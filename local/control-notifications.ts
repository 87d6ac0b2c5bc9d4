/**
 * The notification route of the control API (DESIGN §9): `GET /notifications` lists the failure
 * digests the local failure topic received (`?flow=` for one flow's), oldest first, as an inbox
 * subscribed to the stack's topic would have them.
 */
import type { ServerResponse } from 'node:http';
import type { RecordedNotification } from './notification-sink.ts';

type Send = (response: ServerResponse, code: number, body: unknown) => void;

/** Answers the notification route; false when the request is not it. */
export async function handleNotifications(
  method: string,
  url: URL,
  response: ServerResponse,
  deps: { flows: readonly string[]; notifications: () => Promise<RecordedNotification[]>; send: Send },
): Promise<boolean> {
  if (method !== 'GET' || url.pathname !== '/notifications') return false;
  const flow = url.searchParams.get('flow') ?? undefined;
  if (flow !== undefined && !deps.flows.includes(flow)) {
    deps.send(response, 400, { error: 'BAD_REQUEST', message: `unknown flow "${flow}"`, flows: deps.flows });
    return true;
  }
  const all = await deps.notifications();
  deps.send(response, 200, {
    notifications: flow === undefined ? all : all.filter((n) => n.flow === flow),
  });
  return true;
}
