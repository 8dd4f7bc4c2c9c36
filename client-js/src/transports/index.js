// Every transport by name, in the default order of preference: fastest and two-way first, plainest last.

import { WebSocketTransport } from './ws.js';
import { SseTransport } from './sse.js';
import { StreamTransport } from './stream.js';
import { LongPollTransport } from './longpoll.js';
import { JsonpTransport } from './jsonp.js';
import { IframeTransport } from './iframe.js';
import { PollTransport } from './poll.js';

export const TRANSPORTS = {
  websocket: WebSocketTransport,
  sse: SseTransport,
  stream: StreamTransport,
  longpoll: LongPollTransport,
  jsonp: JsonpTransport,
  iframe: IframeTransport,
  poll: PollTransport,
};

export const DEFAULT_ORDER = Object.keys(TRANSPORTS);
