import { Adapter } from 'hubot';

/** A minimal in-memory Hubot adapter: replies are formatted as Hubot's Shell adapter does, then counted. */
export class HubotMemoryAdapter extends Adapter {
  constructor(robot, waiters) {
    super(robot);
    this.name = 'Memory';
    this.waiters = waiters;
  }

  async send(envelope, ...strings) {
    for (const text of strings) {
      this.last = text;
      this.waiters.arrived(envelope.room);
    }
  }

  async reply(envelope, ...strings) {
    await this.send(envelope, ...strings.map((text) => `${envelope.user.name}: ${text}`));
  }

  async run() {
    this.emit('connected');
  }
}
