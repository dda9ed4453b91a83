export { aeronmdSchema, loadDriverConfigOrExit, resolveAeronmdSettings, type AeronmdConfig, type LoadedDriverConfig } from './DriverConfig.js';
