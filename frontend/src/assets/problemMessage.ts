/** The words a placeholder shows for each problem (and for tokens the auth canister refused). */
import type { AssetProblem } from './recoveryStep';

export interface ProblemMessage {
    readonly title: string;
    readonly detail: string;
}

export function problemMessage(problem: AssetProblem): ProblemMessage {
    switch (problem.kind) {
        case 'no-access':
            return { title: 'No access', detail: 'This memory was deleted or is not shared with you.' };
        case 'not-uploaded':
            return { title: 'Not uploaded yet', detail: 'This file has not been uploaded yet.' };
        case 'token-refused':
            return { title: 'Refused', detail: `The storage canister refused access${problem.code ? ` (${problem.code.toLowerCase()})` : ''}.` };
        case 'unavailable':
            return { title: 'Unavailable', detail: 'The storage canister is not answering. Try again later.' };
        case 'undecodable':
            return { title: 'Cannot display', detail: 'This file cannot be shown in the browser.' };
        case 'failed':
            return { title: 'Not loaded', detail: `Loading failed (${problem.detail}).` };
    }
}
