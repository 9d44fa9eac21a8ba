/**
 * One certified version of a subnet's state tree, as the replica keeps per certified height: the
 * root is signed once (BLS signing dominates the cost), and every read_state / data_certificate
 * answer is a witness of the same tree under that one signature.
 */
import { encodeCertificate, signStateRoot, type CertificateDelegation } from './certificate';
import { reconstruct, type HashTree, type PathInput } from './hashTree';
import { witness } from './witness';

const TIME_PATH: PathInput = ['time'];

export class CertifiedState {
    readonly rootHash: Uint8Array;
    #signature: Uint8Array | undefined;

    /**
     * @param tree the full state tree (see stateTree.ts); treated as immutable.
     * @param secretKey the signing subnet's BLS secret key.
     * @param delegation present when the signing subnet is not the root subnet.
     */
    constructor(
        readonly tree: HashTree,
        private readonly secretKey: Uint8Array,
        readonly delegation?: CertificateDelegation
    ) {
        this.rootHash = reconstruct(tree);
    }

    get signature(): Uint8Array {
        this.#signature ??= signStateRoot(this.secretKey, this.rootHash);
        return this.#signature;
    }

    /** The certificate revealing `paths` (and, as on the IC, always `/time`). */
    certificate(paths: readonly PathInput[]): Uint8Array {
        return encodeCertificate({
            tree: witness(this.tree, [TIME_PATH, ...paths]),
            signature: this.signature,
            delegation: this.delegation
        });
    }

    /** What ic0.data_certificate returns: only `/time` and `/canister/<id>/certified_data`. */
    dataCertificate(canisterId: Uint8Array): Uint8Array {
        return this.certificate([['canister', canisterId, 'certified_data']]);
    }
}
