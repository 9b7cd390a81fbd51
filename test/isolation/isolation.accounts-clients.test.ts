import { describeIsolation } from './isolation.suite';

describeIsolation('accounts and clients');
