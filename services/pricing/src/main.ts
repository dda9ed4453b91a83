#!/usr/bin/env node
import { aeronConnector, runService } from '@mm/runtime';
import { pricingService } from './service.js';

await runService(pricingService, { connect: aeronConnector });
