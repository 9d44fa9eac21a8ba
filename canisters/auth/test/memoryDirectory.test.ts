import { describe, expect, it } from 'vitest';
import { MemoryStore } from '@icp-private-assets/shared';
import { MemoryDirectory } from '../src/memoryDirectory';

function directory() {
    return new MemoryDirectory(new MemoryStore<string>(), new MemoryStore<string>());
}
const memory = (id: string, owner = 'alice') => ({ id, owner, bucket: 'bucket-1', title: `Été ${id} 🌅`, createdAt: '1' });

describe('MemoryDirectory', () => {
    it('creates memories with their owner and keeps any title text intact', () => {
        const d = directory();
        d.create(memory('m1'));
        expect(d.get('m1')).toEqual(memory('m1'));
        expect(d.roleOf('m1', 'alice')).toBe('owner');
        expect(d.roleOf('m1', 'bob')).toBeUndefined();
    });

    it('grants, updates and revokes roles, visible from both the memory and the principal', () => {
        const d = directory();
        d.create(memory('m1'));
        d.create(memory('m2'));
        d.setRole('m1', 'bob', 'viewer');
        d.setRole('m2', 'bob', 'editor');
        d.setRole('m1', 'bob', 'editor');
        expect(d.roleOf('m1', 'bob')).toBe('editor');
        expect(d.listFor('bob', 10).items).toEqual([
            { memoryId: 'm2', role: 'editor' },
            { memoryId: 'm1', role: 'editor' }
        ]);
        expect(d.grants('m1')).toEqual([
            { principal: 'bob', role: 'editor' },
            { principal: 'alice', role: 'owner' }
        ]);
        expect(d.memberCount('m1')).toBe(2);
        expect(d.removeRole('m1', 'bob')).toBe(true);
        expect(d.memberCount('m1')).toBe(1);
        expect(d.roleOf('m1', 'bob')).toBeUndefined();
        expect(d.listFor('bob', 10).items).toEqual([{ memoryId: 'm2', role: 'editor' }]);
    });

    it('transfers ownership, keeping the previous owner as editor', () => {
        const d = directory();
        d.create(memory('m1'));
        d.transfer('m1', 'carol');
        expect(d.get('m1')?.owner).toBe('carol');
        expect(d.roleOf('m1', 'carol')).toBe('owner');
        expect(d.roleOf('m1', 'alice')).toBe('editor');
    });

    it('deletes a memory with every grant, from every principal list', () => {
        const d = directory();
        d.create(memory('m1'));
        d.create(memory('m2'));
        d.setRole('m1', 'bob', 'viewer');
        d.delete('m1');
        expect(d.get('m1')).toBeUndefined();
        expect(d.roleOf('m1', 'bob')).toBeUndefined();
        expect(d.listFor('bob', 10).items).toEqual([]);
        expect(d.listFor('alice', 10).items).toEqual([{ memoryId: 'm2', role: 'owner' }]);
    });

    it('pages through a principal\'s memories with a cursor', () => {
        const d = directory();
        for (let i = 0; i < 7; i++) d.create(memory(`m${i}`));
        const first = d.listFor('alice', 3);
        const second = d.listFor('alice', 3, first.next);
        const third = d.listFor('alice', 3, second.next);
        expect([...first.items, ...second.items, ...third.items].map((i) => i.memoryId)).toEqual(['m6', 'm5', 'm4', 'm3', 'm2', 'm1', 'm0']);
        expect(third.next).toBeUndefined();
    });
});
