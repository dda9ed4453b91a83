export { PricingAgent, type PricingCounters } from './PricingAgent.js';
export { pricingSchema } from './PricingServiceConfig.js';
export { toPricingConfig } from './toPricingConfig.js';
export { pricingService } from './service.js';
