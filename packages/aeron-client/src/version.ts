/** This client's version, written into its heartbeat counter's label (kept equal to package.json by a test). */
export const AERON_CLIENT_VERSION = '0.1.0';
