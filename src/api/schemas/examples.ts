// Request bodies the OpenAPI document shows as examples; each is a valid request
// (test/api/openapi-examples.test.ts sends every one to the API).

/** An OpenAPI example object: what it shows, and the body itself. */
export interface Example {
  summary: string;
  value: unknown;
}

const WEB = { tags: ['web'] };

export const BATCH_EXAMPLES: Record<string, Example> = {
  command: {
    summary: 'A command on every device tagged web, a quarter of them at a time',
    value: {
      targets: WEB,
      action: { type: 'command', command: 'uptime', timeoutSec: 60 },
      strategy: { mode: 'parallel', concurrency: '25%', maxFailures: 2 },
    },
  },
  steps: {
    summary: 'Several steps in order on each device, with an overall deadline',
    value: {
      targets: WEB,
      steps: [
        { type: 'command', command: 'apt-get update', timeoutSec: 600 },
        { type: 'script', interpreter: 'bash', body: 'systemctl restart nginx\nsystemctl is-active nginx', env: { LANG: 'C' } },
      ],
      stepMode: 'sequential',
      deadlineSec: 3600,
    },
  },
  waves: {
    summary: 'Rolling waves of 20% with a health check after each, waiting for approval after the first',
    value: {
      targets: WEB,
      action: { type: 'command', command: 'systemctl restart nginx' },
      strategy: {
        mode: 'waves',
        waveSize: '20%',
        pauseBetweenWavesSec: 60,
        maxFailuresPerWave: 0,
        healthCheck: { type: 'command', command: 'curl -fsS http://127.0.0.1/health' },
        approveAfterFirstWave: true,
      },
    },
  },
};

export const SCHEDULE_EXAMPLES: Record<string, Example> = {
  nightly: {
    summary: 'Upgrade the web devices every night at 02:00 Berlin time, skipping a run while the last one runs',
    value: {
      name: 'nightly-upgrade',
      spec: { daily: { time: '02:00' } },
      timezone: 'Europe/Berlin',
      overlap: 'skip',
      batch: { targets: WEB, action: { type: 'command', command: 'apt-get upgrade -y', timeoutSec: 1800 }, strategy: { mode: 'parallel', concurrency: 5 } },
    },
  },
};

export const DEVICE_EXAMPLES: Record<string, Example> = {
  web: { summary: 'A web server', value: { name: 'web-01', hostname: 'web-01.example.internal', tags: ['web', 'eu-west'] } },
};

export const USER_EXAMPLES: Record<string, Example> = {
  operator: { summary: 'An operator with a first token named laptop', value: { name: 'alice', role: 'operator', tokenName: 'laptop' } },
};
