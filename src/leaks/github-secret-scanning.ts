import { Caller } from '../shared/caller';
import { BadUserInputError } from '../shared/errors';
import { GitHubPublicKeys } from './github-keys';
import { LeakReports } from './leak-report.service';

/** One match GitHub found: the token, the pattern's name, where it was (a URL), and what kind of place (content, commit, …). */
export interface GitHubMatch {
  token: string;
  type: string;
  url: string | null;
  source: string | null;
}

/** GitHub's feedback format: whether each token was real, so its scanner learns from false positives. */
export interface GitHubLabel {
  token_raw: string;
  token_type: string;
  label: 'true_positive' | 'false_positive';
}

/** GitHub batches matches; more than this in one alert is not GitHub. */
export const MAX_MATCHES = 1000;

/**
 * GitHub's secret scanning partner alerts: a signed JSON list of matches of
 * keyward's key patterns found in public repositories, gists and packages.
 * The signature is checked before anything of the body is read; each live key
 * among the matches is a leak report (source: the URL GitHub found it at),
 * handled by its account's leakResponse like any other. Only GitHub learns
 * which tokens were live: it proved who it is.
 */
export class GitHubSecretScanning {
  constructor(
    private readonly keys: GitHubPublicKeys,
    private readonly reports: LeakReports,
  ) {}

  async alert(
    headers: { identifier: string | undefined; signature: string | undefined },
    body: Buffer,
    caller: Caller,
  ): Promise<GitHubLabel[]> {
    this.keys.verify(headers.identifier, headers.signature, body);
    const matches = parseMatches(body);
    const labels: GitHubLabel[] = [];
    // A token found twice in one alert is one leak: the second look would find it revoked.
    const seen = new Map<string, boolean>();
    for (const match of matches) {
      let live = seen.get(match.token);
      if (live === undefined) {
        live = await this.reports.report({ key: match.token, source: match.url ?? match.source }, 'github-secret-scanning', caller);
        seen.set(match.token, live);
      }
      labels.push({ token_raw: match.token, token_type: match.type, label: live ? 'true_positive' : 'false_positive' });
    }
    return labels;
  }
}

/** The signed body, as a list of matches; what is not one is refused (422 naming the first bad entry), not skipped. */
function parseMatches(body: Buffer): GitHubMatch[] {
  let list: unknown;
  try {
    list = JSON.parse(body.toString('utf8'));
  } catch {
    throw new BadUserInputError('body', 'body must be a JSON list of {token, type, url, source}');
  }
  if (!Array.isArray(list)) throw new BadUserInputError('body', 'body must be a JSON list of {token, type, url, source}');
  if (list.length > MAX_MATCHES) throw new BadUserInputError('body', `body must list at most ${MAX_MATCHES} matches`);
  return list.map((entry: unknown, index) => {
    const match = entry as Record<string, unknown> | null;
    const text = (name: string, required: boolean): string | null => {
      const value = match?.[name];
      if (value === undefined || value === null) {
        if (required) throw new BadUserInputError(`[${index}].${name}`, `[${index}].${name} is missing`);
        return null;
      }
      if (typeof value !== 'string') throw new BadUserInputError(`[${index}].${name}`, `[${index}].${name} must be a string`);
      return value;
    };
    if (match === null || typeof match !== 'object' || Array.isArray(match)) {
      throw new BadUserInputError(`[${index}]`, `[${index}] must be an object {token, type, url, source}`);
    }
    return { token: text('token', true)!, type: text('type', true)!, url: text('url', false), source: text('source', false) };
  });
}
