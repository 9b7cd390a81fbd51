import { describeIsolation } from './isolation.suite';

describeIsolation('leads');
