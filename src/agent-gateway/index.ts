export { startGateway, DEVICE_SESSION_CHANNEL, type Gateway, type GatewayDeps } from './gateway';
export { createGatewayActivities, type GatewayActivityDeps } from './activities';
export { type GatewayCounters } from './counters';
