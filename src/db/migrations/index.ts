import { Initial1764000000000 } from './1764000000000-initial';

/** Listed explicitly (not globbed) so they load the same from src/ under jest and from dist/. */
export const MIGRATIONS = [Initial1764000000000];
