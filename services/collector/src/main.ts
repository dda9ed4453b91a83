#!/usr/bin/env node
import { aeronConnector, runService } from '@mm/runtime';
import { collectorService } from './service.js';

await runService(collectorService, { connect: aeronConnector });
