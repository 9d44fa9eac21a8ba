/**
 * docs/auth-interface.md says exactly what the canister's Candid says (the bucket package's
 * candid-document checker: didc parses the document, sample values round-trip both ways).
 */
import { IDL } from '@dfinity/candid';
import { compareWithDocument, readCandidDocument } from '@icp-private-assets/bucket/candid-document';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { idlFactory } from '../src/candid';

const documentPath = fileURLToPath(new URL('../../../docs/auth-interface.md', import.meta.url));

describe('docs/auth-interface.md', () => {
    it('documents every method with the code’s modes, arguments and replies', () => {
        const problems = compareWithDocument(readCandidDocument(documentPath), idlFactory({ IDL }) as IDL.ServiceClass);
        expect(problems).toEqual([]);
    });
});
