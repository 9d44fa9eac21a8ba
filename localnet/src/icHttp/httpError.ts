/**
 * A request the IC HTTP interface refuses: the replica's status code and its plain-text message.
 * Endpoint code throws these; the handler turns them into responses.
 */
export class IcHttpError extends Error {
    override name = 'IcHttpError';
    constructor(
        readonly status: number,
        message: string
    ) {
        super(message);
    }
}

export const badRequest = (message: string): IcHttpError => new IcHttpError(400, message);
