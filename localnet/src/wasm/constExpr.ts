/** Skips over a constant expression (global initialisers, segment offsets) up to and including its `end`. */
import { ByteReader, WasmDecodeError } from './byteReader';

export function skipConstExpr(reader: ByteReader): void {
    for (;;) {
        const at = reader.pos;
        const op = reader.u8();
        switch (op) {
            case 0x0b: // end
                return;
            case 0x41: // i32.const
                reader.skipLeb(5);
                break;
            case 0x42: // i64.const
                reader.skipLeb(10);
                break;
            case 0x43: // f32.const
                reader.skip(4);
                break;
            case 0x44: // f64.const
                reader.skip(8);
                break;
            case 0x23: // global.get
            case 0xd2: // ref.func
                reader.u32();
                break;
            case 0xd0: // ref.null t
                reader.u8();
                break;
            // extended-const arithmetic
            case 0x6a:
            case 0x6b:
            case 0x6c:
            case 0x7c:
            case 0x7d:
            case 0x7e:
                break;
            case 0xfd: {
                const sub = reader.u32();
                if (sub !== 0x0c) throw new WasmDecodeError(`unsupported SIMD opcode ${sub} in constant expression`, at);
                reader.skip(16); // v128.const
                break;
            }
            default:
                throw new WasmDecodeError(`unsupported opcode 0x${op.toString(16)} in constant expression`, at);
        }
    }
}
