// What the agent reports about its device in `hello`. The version is package.json's (baked into the
// one-file build); the gateway refuses agents older than its minimum.
import os from 'node:os';
import { version } from '../../package.json';
import { PROTOCOL_VERSION } from '../protocol/constants';
import type { DeviceFacts } from '../protocol/v1/messages';

export function collectFacts(): DeviceFacts {
  return {
    hostname: os.hostname().slice(0, 255),
    os: `${os.type()} ${os.release()}`.slice(0, 255),
    arch: os.arch(),
    agentVersion: version,
    protocolVersion: PROTOCOL_VERSION,
  };
}
