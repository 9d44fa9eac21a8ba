/** Visible progress for waits that take more than a moment (bytes loaded of total). */
export function ProgressBar({ label, loaded, total }: { label: string; loaded: number; total: number | undefined }) {
    const percent = total ? Math.round((100 * loaded) / total) : undefined;
    return (
        <div className="progress" role="status">
            <progress max={total ?? undefined} value={total ? loaded : undefined} aria-label={label} />
            <span className="progress-text">
                {label}
                {percent === undefined ? '' : ` ${percent} %`}
            </span>
        </div>
    );
}
