import { describeIsolation } from './isolation.suite';

describeIsolation('webhooks');
