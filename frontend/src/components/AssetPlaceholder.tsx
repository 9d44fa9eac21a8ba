/** What a tile shows instead of an asset that cannot be shown, saying why. */
import type { AssetProblem } from '../assets/recoveryStep';
import { problemMessage } from '../assets/problemMessage';

export function AssetPlaceholder({ problem, onRetry }: { problem: AssetProblem; onRetry?: () => void }) {
    const { title, detail } = problemMessage(problem);
    return (
        <div className="asset-placeholder" role="img" aria-label={`${title}: ${detail}`} data-problem={problem.kind}>
            <strong>{title}</strong>
            <span>{detail}</span>
            {onRetry ? (
                <button type="button" onClick={onRetry}>
                    Try again
                </button>
            ) : null}
        </div>
    );
}
