/**
 * localnet test canister for inter-canister calls: a successful round trip, rejects from a
 * missing method and from a trapping callee, cycles sent along a call, composite queries,
 * raw_rand, and canister_inspect_message refusing one method.
 */
import { call, IDL, inspectMessage, msgCaller, msgCyclesAccept, msgCyclesAvailable, query, trap, update } from 'azle';

const CallResult = IDL.Variant({
    Ok: IDL.Text,
    Err: IDL.Record({ code: IDL.Nat32, message: IDL.Text })
});
type CallResult = { Ok: string } | { Err: { code: number; message: string } };

export default class {
    received = 0n;

    @update([IDL.Principal, IDL.Text], CallResult)
    async ping(target: import('azle').Principal, text: string): Promise<CallResult> {
        return await this.callText(target, 'pong', text);
    }

    @update([IDL.Principal, IDL.Text, IDL.Text], CallResult)
    async callMethod(target: import('azle').Principal, method: string, text: string): Promise<CallResult> {
        return await this.callText(target, method, text);
    }

    @update([IDL.Text], IDL.Text)
    pong(text: string): string {
        return `pong:${text} from ${msgCaller().toText()}`;
    }

    @update([IDL.Text], IDL.Text)
    boom(text: string): string {
        trap(`boom: ${text}`);
    }

    /** Accepts half of the cycles sent along. */
    @update([], IDL.Nat)
    takeHalf(): bigint {
        const available = msgCyclesAvailable();
        const accepted = msgCyclesAccept(available / 2n);
        this.received += accepted;
        return accepted;
    }

    @update([IDL.Principal, IDL.Nat], IDL.Nat)
    async sendCycles(target: import('azle').Principal, cycles: bigint): Promise<bigint> {
        return await call<[], bigint>(target, 'takeHalf', { returnIdlType: IDL.Nat, cycles });
    }

    @query([], IDL.Nat)
    receivedCycles(): bigint {
        return this.received;
    }

    @query([IDL.Text], IDL.Text)
    pongQuery(text: string): string {
        return `pongQuery:${text}`;
    }

    /** A composite query: calls another canister's query inside a query. */
    @query([IDL.Principal, IDL.Text], IDL.Text, { composite: true })
    async compositePing(target: import('azle').Principal, text: string): Promise<string> {
        return await call<[string], string>(target, 'pongQuery', { paramIdlTypes: [IDL.Text], returnIdlType: IDL.Text, args: [text] });
    }

    @update([], IDL.Vec(IDL.Nat8))
    async randomBytes(): Promise<Uint8Array> {
        return await call<[], Uint8Array>('aaaaa-aa', 'raw_rand', { returnIdlType: IDL.Vec(IDL.Nat8) });
    }

    /** canister_inspect_message refuses this method for ingress messages; canisters may still call it. */
    @update([], IDL.Text)
    refusedByInspect(): string {
        return 'ran';
    }

    @inspectMessage()
    inspect(methodName: string): boolean {
        return methodName !== 'refusedByInspect';
    }

    private async callText(target: import('azle').Principal, method: string, text: string): Promise<CallResult> {
        try {
            const reply = await call<[string], string>(target, method, {
                paramIdlTypes: [IDL.Text],
                returnIdlType: IDL.Text,
                args: [text]
            });
            return { Ok: reply };
        } catch (error) {
            const rejected = error as { rejectCode?: number; rejectMessage?: string };
            return { Err: { code: rejected.rejectCode ?? -1, message: rejected.rejectMessage ?? String(error) } };
        }
    }
}
