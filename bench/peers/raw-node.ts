import { readBody, sendJson, serve } from './listen';

/**
 * The ceiling: plain node:http reading a small JSON POST and answering a small
 * JSON body of the size of a verify answer, with nothing in between.
 */
const ANSWER = { data: { valid: true, code: 'VALID', prefix: 'kw_live_abcdef12', permissions: ['LEADS_READ'] } };

serve(async (req, res) => {
  await readBody(req);
  sendJson(res, 200, ANSWER);
});
