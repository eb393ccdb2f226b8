package dev.trellis.server.info;

/** INFO cpu: process and server-thread CPU time (INFO runs on the server thread). */
final class CpuSection implements InfoSection {
    @Override
    public void write(InfoOutput out) {
        long[] p = CpuUsage.process();
        long[] t = CpuUsage.currentThread();
        out.field("used_cpu_sys", CpuUsage.format(p[1]))
                .field("used_cpu_user", CpuUsage.format(p[0]))
                .field("used_cpu_sys_children", "0.000000")
                .field("used_cpu_user_children", "0.000000")
                .field("used_cpu_sys_main_thread", CpuUsage.format(t[1]))
                .field("used_cpu_user_main_thread", CpuUsage.format(t[0]));
    }
}
