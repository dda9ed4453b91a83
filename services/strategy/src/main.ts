#!/usr/bin/env node
import { aeronConnector, runService } from '@mm/runtime';
import { strategyService } from './service.js';

await runService(strategyService, { connect: aeronConnector });
