export { aeronmdConfigFile, aeronmdSchema, checkConfigFileAlone, loadDriverConfigOrExit, resolveAeronmdSettings, type AeronmdConfig, type LoadedDriverConfig } from './DriverConfig.js';
