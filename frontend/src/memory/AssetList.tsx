/** Every asset of the memory (its variants) with type and size, each openable in a new tab. */
import { icAssetUrl, type IcNetwork, type Variant } from '@icp-private-assets/shared';
import { problemMessage } from '../assets/problemMessage';
import { nextRecoveryStep, FIRST_ATTEMPT } from '../assets/recoveryStep';
import type { AssetHead } from './assetHead';
import { formatBytes } from './formatBytes';

const LABELS: Readonly<Record<Variant, string>> = { original: 'Original', preview: 'Preview', thumbnail: 'Thumbnail', placeholder: 'Placeholder' };
const ORDER: readonly Variant[] = ['original', 'preview', 'thumbnail', 'placeholder'];

export function AssetList({ memoryId, heads, source, network }: { memoryId: string; heads: Readonly<Record<Variant, AssetHead>>; source: { token: string; bucket: string } | undefined; network: IcNetwork }) {
    return (
        <table className="asset-list">
            <caption>Files of this memory</caption>
            <thead>
                <tr>
                    <th scope="col">Variant</th>
                    <th scope="col">Type</th>
                    <th scope="col">Size</th>
                    <th scope="col">
                        <span className="visually-hidden">Open</span>
                    </th>
                </tr>
            </thead>
            <tbody>
                {ORDER.map((variant) => {
                    const head = heads[variant];
                    if (head.status === 'absent') {
                        const step = nextRecoveryStep(head.failure, { ...FIRST_ATTEMPT, reminted: true, fellBack: true });
                        const text = step.action === 'give-up' ? problemMessage(step.problem).title : 'Unavailable';
                        return (
                            <tr key={variant} data-variant={variant}>
                                <th scope="row">{LABELS[variant]}</th>
                                <td colSpan={3}>{text}</td>
                            </tr>
                        );
                    }
                    return (
                        <tr key={variant} data-variant={variant}>
                            <th scope="row">{LABELS[variant]}</th>
                            <td>{head.contentType}</td>
                            <td>{head.size === undefined ? '' : formatBytes(head.size)}</td>
                            <td>
                                {source ? (
                                    <a href={icAssetUrl({ bucket: source.bucket, memoryId, variant, token: source.token, network })} target="_blank" rel="noopener noreferrer">
                                        Open<span className="visually-hidden"> the {LABELS[variant].toLowerCase()} in a new tab</span>
                                    </a>
                                ) : null}
                            </td>
                        </tr>
                    );
                })}
            </tbody>
        </table>
    );
}
