export { startGateway, type Gateway, type GatewayDeps } from './gateway';
export { createGatewayActivities, type GatewayActivityDeps } from './activities';
export { type GatewayCounters } from './counters';
