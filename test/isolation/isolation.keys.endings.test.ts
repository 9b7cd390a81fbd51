import { describeIsolation } from './isolation.suite';

describeIsolation('key endings');
