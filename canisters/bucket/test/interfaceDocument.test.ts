/**
 * docs/bucket-interface.md says exactly what the canister's Candid says (see
 * support/candidDocument.ts for how the two are compared).
 */
import { IDL } from '@dfinity/candid';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { idlFactory, initArgs } from '../src/candid';
import { compareTypeWithDocument, compareWithDocument, readCandidDocument } from './support/candidDocument';

const documentPath = fileURLToPath(new URL('../../../docs/bucket-interface.md', import.meta.url));

describe('docs/bucket-interface.md', () => {
    it('documents every method with the code’s modes, arguments and replies', () => {
        const problems = compareWithDocument(readCandidDocument(documentPath), idlFactory({ IDL }) as IDL.ServiceClass);
        expect(problems).toEqual([]);
    });

    it('documents the init argument as BucketArgs', () => {
        const bucketArgs = initArgs({ IDL })[0]!;
        expect(compareTypeWithDocument(readCandidDocument(documentPath), 'BucketArgs', bucketArgs)).toEqual([]);
    });
});
