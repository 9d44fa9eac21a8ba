import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDevArgs, UsageError } from '../src/devNetwork';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('parseDevArgs', () => {
    it('defaults to port 4943, three buckets, .localnet at the repository root and the frontend on 3000', () => {
        expect(parseDevArgs([])).toEqual({ port: 4943, buckets: 3, dir: `${ROOT}.localnet`, frontendPort: 3000 });
    });

    it('takes each option', () => {
        expect(parseDevArgs(['--port', '0', '--buckets', '20', '--dir', '/tmp/x', '--frontend-port', '0'])).toEqual({ port: 0, buckets: 20, dir: '/tmp/x', frontendPort: 0 });
        expect(parseDevArgs(['--dir', 'elsewhere']).dir).toBe(`${ROOT}elsewhere`);
    });

    it.each([
        [['--port'], '--port needs a value'],
        [['--port', '--buckets'], '--port needs a value'],
        [['--port', '65536'], '--port must be 0..65535'],
        [['--port', '-1'], '--port must be 0..65535'],
        [['--port', '12ab'], '--port must be 0..65535'],
        [['--buckets', '0'], '--buckets must be 1..20'],
        [['--buckets', '21'], '--buckets must be 1..20'],
        [['--frontend-port', '70000'], '--frontend-port must be 0..65535'],
        [['--frontend-port'], '--frontend-port needs a value'],
        [['--verbose', 'yes'], 'unknown option --verbose']
    ])('refuses %j: %s', (argv, message) => {
        expect(() => parseDevArgs(argv)).toThrow(UsageError);
        expect(() => parseDevArgs(argv)).toThrow(message);
    });
});
