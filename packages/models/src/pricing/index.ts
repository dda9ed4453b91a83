export * from './PricingConfig.js';
export * from './EwmaRate.js';
export * from './FairValue.js';
export * from './OrderFlowImbalance.js';
export * from './VolatilityEstimator.js';
export * from './MicroPriceEstimator.js';
export * from './PricingResult.js';
export * from './PricingEngine.js';
