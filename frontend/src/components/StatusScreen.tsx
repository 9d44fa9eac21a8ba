/** A whole-page message: loading, or what is wrong. */
import { Spinner } from './Spinner';

export function StatusScreen({ title, detail, busy = false }: { title: string; detail?: string; busy?: boolean }) {
    return (
        <main className="status-screen">
            {busy ? <Spinner label={title} /> : null}
            <h1>{title}</h1>
            {detail ? <p>{detail}</p> : null}
        </main>
    );
}
