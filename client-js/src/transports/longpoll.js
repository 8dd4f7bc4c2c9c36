// Ajax long-polling, GET /poll&wait=S: each request is held until something is after the cursor.

import { PollTransport } from './poll.js';

export class LongPollTransport extends PollTransport {
  constructor(link) {
    super(link, link.longPollWait);
  }
}
