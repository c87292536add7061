// What the agent reports about its device in `hello`.
import os from 'node:os';
import { version } from '../../package.json';
import type { DeviceFacts } from '../protocol/v1/messages';

export function collectFacts(): DeviceFacts {
  return {
    hostname: os.hostname().slice(0, 255),
    os: `${os.type()} ${os.release()}`.slice(0, 255),
    arch: os.arch(),
    agentVersion: version,
  };
}
