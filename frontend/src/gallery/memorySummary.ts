/** A memory as the pages show it (principals as text, times as Date). */
import type { MemoryRecord } from '../ic/authService';

export interface MemorySummary {
    readonly id: string;
    readonly title: string;
    readonly owner: string;
    readonly bucket: string;
    readonly createdAt: Date;
    readonly role: 'viewer' | 'editor' | 'owner';
}

export function memorySummary(record: MemoryRecord): MemorySummary {
    return {
        id: record.id,
        title: record.title,
        owner: record.owner.toText(),
        bucket: record.bucket.toText(),
        createdAt: new Date(Number(record.created_at / 1_000_000n)),
        role: Object.keys(record.role)[0] as MemorySummary['role']
    };
}
